/*
 * hello-both: the program albs-ci packages twice, as an rpm and as a deb. It
 * greets, and says which version it is, so a test can tell that the installed
 * binary is the one albs-ci built.
 */
#include <stdio.h>
#include <string.h>

#ifndef HELLO_VERSION
#define HELLO_VERSION "unknown"
#endif

int main(int argc, char **argv)
{
    if (argc == 1) {
        puts("Hello from albs-ci! (hello-both)");
        return 0;
    }
    if (argc == 2 && strcmp(argv[1], "--version") == 0) {
        printf("hello-both %s\n", HELLO_VERSION);
        return 0;
    }
    if (argc == 2 && strcmp(argv[1], "--help") == 0) {
        puts("usage: hello-both [--version | --help]");
        return 0;
    }
    fprintf(stderr, "hello-both: unknown argument '%s' (try --help)\n", argv[1]);
    return 2;
}
