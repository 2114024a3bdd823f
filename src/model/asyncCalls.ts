/**
 * What a call promises to finish later: whether its result is a thenable, and whether it passes
 * an error-first completion callback (how a pending operation is recognised, docs/resource-model.md#owners-and-roles).
 * Functions of the ResourceModel (src/model/owners.ts).
 */
import tsutils from '../util/ts-api-utils.cjs';
import ts from '../util/typescript.cjs';
import type { ResourceModel } from './owners.js';
import { hierarchyOf } from './ownerTypes.js';
import { everyDeclaration } from './values.js';

/** Whether the call's result is a Promise or another thenable. */
export function returnsThenable(model: ResourceModel, call: ts.Expression, calleeType?: ts.Type): boolean {
  const declared = declaredReturnsThenable(model, call, calleeType);
  if (declared !== undefined) return declared;
  const type = model.checker.getTypeAtLocation(call);
  if (tsutils.isTypeFlagSet(type, ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return false;
  return tsutils.isThenableType(model.checker, call, type);
}

/**
 * For a call whose callee's signatures all declare a concrete return type (no type parameter,
 * `this`, `any` or `unknown` in it), whether those types are thenables when they all agree:
 * the same answer as the call's own type, without resolving the call (whose argument checking
 * can walk the control flow of a long function back to each argument's declaration).
 */
function declaredReturnsThenable(model: ResourceModel, call: ts.Expression, calleeType?: ts.Type): boolean | undefined {
  if (!ts.isCallExpression(call)) return undefined;
  // The callee's declared type when the caller knows it (no flow walk back to its object).
  const signatures = (calleeType ?? model.checker.getTypeAtLocation(call.expression)).getCallSignatures();
  if (signatures.length === 0) return undefined;
  let answer: boolean | undefined;
  for (const signature of signatures) {
    const type = signature.getReturnType();
    const parts = type.isUnionOrIntersection() ? type.types : [type];
    if (parts.some(part => tsutils.isTypeFlagSet(part, ts.TypeFlags.Instantiable | ts.TypeFlags.Any | ts.TypeFlags.Unknown))) {
      return undefined;
    }
    // A generic signature's return type may be thenable only once instantiated, unless it is the lib's Promise.
    if ((signature.getTypeParameters()?.length ?? 0) > 0 && !isLibPromise(model, type)) return undefined;
    const thenable = tsutils.isThenableType(model.checker, call, type);
    if (answer !== undefined && answer !== thenable) return undefined;
    answer = thenable;
  }
  return answer;
}

function isLibPromise(model: ResourceModel, type: ts.Type): boolean {
  const symbol = type.getSymbol();
  return (
    symbol?.name === 'Promise' &&
    everyDeclaration(symbol, declaration => model.program.isSourceFileDefaultLibrary(declaration.getSourceFile()))
  );
}

/**
 * Whether the call passes a completion callback: a function argument in the last parameter
 * whose first parameter accepts `Error | null` (or an Error subtype such as ErrnoException).
 */
export function passesCompletionCallback(model: ResourceModel, call: ts.CallExpression | ts.NewExpression): boolean {
  const args = call.arguments ?? [];
  const last = args[args.length - 1];
  if (last === undefined) return false;
  const signature = model.checker.getResolvedSignature(call);
  const parameters = signature?.getParameters() ?? [];
  if (parameters.length === 0) return false;
  const parameter = parameters[Math.min(args.length, parameters.length) - 1];
  if (parameter === undefined || parameters.indexOf(parameter) !== parameters.length - 1) return false;
  const parameterType = model.checker.getTypeOfSymbolAtLocation(parameter, call);
  return tsutils
    .unionConstituents(model.checker.getNonNullableType(parameterType))
    .some(part => part.getCallSignatures().some(callback => acceptsErrorFirst(model, callback, call)));
}

function acceptsErrorFirst(model: ResourceModel, callback: ts.Signature, location: ts.Node): boolean {
  const first = callback.getParameters()[0];
  if (first === undefined) return false;
  const type = model.checker.getTypeOfSymbolAtLocation(first, location);
  const parts = tsutils.unionConstituents(type);
  const acceptsNull = parts.some(part => tsutils.isTypeFlagSet(part, ts.TypeFlags.Null | ts.TypeFlags.Any));
  const acceptsError = parts.some(part => isErrorType(model, part));
  return acceptsNull && acceptsError;
}

function isErrorType(model: ResourceModel, type: ts.Type): boolean {
  return hierarchyOf(model, type).some(candidate => {
    const name = candidate.getSymbol()?.name;
    return name === 'Error' || name === 'ErrnoException';
  });
}
