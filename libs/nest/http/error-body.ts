import { STATUS_CODES } from 'node:http';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  detail: string; // repeats message: clients written against the seeds read `detail`
  code?: string;
  errors?: { field: string; messages: string[] }[];
  request_id?: string;
  [extra: string]: unknown;
}

export function errorBody(statusCode: number, message: string, requestId: string | undefined, extra: Partial<ErrorBody> = {}): ErrorBody {
  return {
    statusCode,
    error: STATUS_CODES[statusCode] ?? 'Error',
    message,
    detail: message,
    ...extra,
    request_id: requestId,
  };
}
