/*
 * hello-c: a greeting that says which architecture it was compiled for.
 *
 * The architecture comes from the compiler's predefined macros, not from
 * uname(2) at run time: it names the machine the binary was BUILT for, which
 * is what a package for one arch must get right.
 */
#include <stdio.h>
#include <string.h>

#ifndef HELLO_VERSION
#define HELLO_VERSION "unknown"
#endif

/* Extra compiler flags the build was given (the Makefile passes EXTRA_CFLAGS). */
#define STRINGIFY(x) #x
#define EXPAND_AND_STRINGIFY(x) STRINGIFY(x)
#ifdef HELLO_EXTRA_CFLAGS
#define EXTRA_CFLAGS_TEXT EXPAND_AND_STRINGIFY(HELLO_EXTRA_CFLAGS)
#else
#define EXTRA_CFLAGS_TEXT ""
#endif

/* The machine name as `uname -m` and rpm's %{_target_cpu} spell it. */
#if defined(__x86_64__)
#define HELLO_ARCH "x86_64"
#elif defined(__i386__)
#define HELLO_ARCH "i686"
#elif defined(__aarch64__)
#define HELLO_ARCH "aarch64"
#elif defined(__powerpc64__) && defined(__LITTLE_ENDIAN__)
#define HELLO_ARCH "ppc64le"
#elif defined(__powerpc64__)
#define HELLO_ARCH "ppc64"
#elif defined(__s390x__)
#define HELLO_ARCH "s390x"
#elif defined(__riscv) && __riscv_xlen == 64
#define HELLO_ARCH "riscv64"
#else
#define HELLO_ARCH "unknown"
#endif

static void usage(FILE *out)
{
    fputs("usage: hello-c [--version | --arch | --help]\n"
          "Prints a greeting from albs-ci and the architecture hello-c was built for.\n",
          out);
}

int main(int argc, char **argv)
{
    if (argc == 1) {
        printf("Hello from albs-ci! (hello-c built for %s)\n", HELLO_ARCH);
        return 0;
    }
    if (argc == 2 && strcmp(argv[1], "--version") == 0) {
        printf("hello-c %s\n", HELLO_VERSION);
        printf("built for %s with extra CFLAGS: %s\n", HELLO_ARCH,
               EXTRA_CFLAGS_TEXT[0] != '\0' ? EXTRA_CFLAGS_TEXT : "(none)");
        return 0;
    }
    if (argc == 2 && strcmp(argv[1], "--arch") == 0) {
        puts(HELLO_ARCH);
        return 0;
    }
    if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        usage(stdout);
        return 0;
    }
    fprintf(stderr, "hello-c: unexpected argument '%s'\n", argv[1]);
    usage(stderr);
    return 2;
}
