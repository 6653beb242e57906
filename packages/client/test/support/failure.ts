/**
 * What a promise rejects with; a fulfilment fails the test with the value it brought.
 *
 * @example
 * ```ts
 * expect(await failure(client.upload(svg))).toBeInstanceOf(ApiError);
 * ```
 */
export function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => {
      throw new Error(`expected a failure, got ${JSON.stringify(value)}`);
    },
    (error: unknown) => error,
  );
}
