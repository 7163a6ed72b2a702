/**
 * `--define NAME VALUE` for rpm, rpmbuild and mock, with VALUE taken literally: rpm expands macros
 * in a defined value when it is used, so a `%` in it would be a macro and `%(cmd)` would run cmd.
 * `%%` is rpm's escape for a literal `%`.
 *
 * Not enough on its own for paths: rpm 4.18 expands the paths it is given as arguments (the spec,
 * the src.rpm) and expands some paths made from `_topdir` and `_sourcedir` twice. That is why the
 * job runner also gives steps plain aliases of directories whose path has `%` in it (plain-paths.ts).
 */
export function rpmDefine(name: string, value: string): ['--define', string] {
  return ['--define', `${name} ${escapeRpmMacros(value)}`];
}

/** `value` with every `%` doubled, so that one macro expansion gives `value` back. */
export function escapeRpmMacros(value: string): string {
  return value.replaceAll('%', '%%');
}
