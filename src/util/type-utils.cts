// @typescript-eslint/type-utils matches the settings' type and value specifiers, which most
// projects never configure. Its import costs about 65 ms of CPU on a lint that does not load it
// otherwise (typescript-eslint's own typed rules do), so it is required on first use: a project
// without `resources`/`package` specifiers never loads it.
type TypeUtils = typeof import('@typescript-eslint/type-utils');

let loaded: TypeUtils | undefined;

function typeUtils(): TypeUtils {
  loaded ??= require('@typescript-eslint/type-utils') as TypeUtils;
  return loaded;
}

export const typeMatchesSpecifier: TypeUtils['typeMatchesSpecifier'] = (...args) => typeUtils().typeMatchesSpecifier(...args);
export const valueMatchesSpecifier: TypeUtils['valueMatchesSpecifier'] = (...args) => typeUtils().valueMatchesSpecifier(...args);
