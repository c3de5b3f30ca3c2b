/** A refusal of a vector set: where (file, or file:line), which rule was broken, and the detail. */
export class VectorFileError extends Error {
  override readonly name = 'VectorFileError';
  constructor(
    readonly location: string,
    readonly rule: string,
    detail: string,
  ) {
    super(`${location}: ${rule}: ${detail}`);
  }
}
