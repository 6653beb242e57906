import type { ClientId, ClientStack } from "./client-stack.js";
import { curlClient } from "./curl-client.js";
import { fetchClient } from "./fetch-client.js";
import { formDataClient } from "./form-data-client.js";
import { rawClient } from "./raw-client.js";

/** Every client stack, in the order reports list them. */
export const CLIENT_STACKS: readonly ClientStack[] = [fetchClient, formDataClient, rawClient, curlClient];

/** The client stack with an id. */
export function clientStack(id: ClientId): ClientStack {
  const found = CLIENT_STACKS.find((stack) => stack.id === id);
  if (found === undefined) throw new TypeError(`unknown client stack ${id}`);
  return found;
}
