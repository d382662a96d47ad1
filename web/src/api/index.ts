// The client the app uses: same origin as the page, so the refresh cookie travels with /api calls.

import { ApiClient } from "./client";
import { createApi } from "./endpoints";

export const client = new ApiClient();
export const api = createApi(client);

export { ApiError, canRetry, errorText, notFoundWords } from "./errors";
export { stepUpOf } from "./endpoints";
export type { SecondFactor, StepUpKind } from "./endpoints";
