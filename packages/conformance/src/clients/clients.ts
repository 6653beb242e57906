import { anhMoeClientStack } from "./anh-moe-client.js";
import type { ClientId, ClientStack } from "./client-stack.js";
import { curlClient } from "./curl-client.js";
import { fetchClient } from "./fetch-client.js";
import { formDataClient } from "./form-data-client.js";
import { rawClient } from "./raw-client.js";

/** The stacks that put any request on the wire as written, in the order reports list them. */
export const CLIENT_STACKS: readonly ClientStack[] = [fetchClient, formDataClient, rawClient, curlClient];

/** The client stack with an id: one of {@link CLIENT_STACKS}, or this project's own client (`anh-moe-client`). */
export function clientStack(id: ClientId): ClientStack {
  const found = [...CLIENT_STACKS, anhMoeClientStack].find((stack) => stack.id === id);
  if (found === undefined) throw new TypeError(`unknown client stack ${id}`);
  return found;
}
