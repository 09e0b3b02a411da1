/** Who asked and from where: captured by the HTTP layer, carried into audit events. */
export interface RequestMeta {
  requestId?: string;
  ip?: string;
  userAgent?: string;
  path?: string;
}

export const NO_REQUEST: RequestMeta = {};
