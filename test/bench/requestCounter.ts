// Counts every request the extension's transport makes, by wrapping ApiTransport's two entry points
// (request and stream) for the duration of a measure. The bench's own clients are not counted.
import { ApiTransport, type ApiRequest } from '../../src/kube/apiTransport';

export interface CountedRequest {
  at: number;
  method: string;
  path: string;
  /** A watch (re)open or log follow, as opposed to a one-off request. */
  streaming: boolean;
  watch: boolean;
}

export function countRequests(): { requests: CountedRequest[]; restore(): void } {
  const proto = ApiTransport.prototype;
  const { request, stream } = proto;
  const requests: CountedRequest[] = [];
  const note = (req: ApiRequest, streaming: boolean) => requests.push({ at: performance.now(), method: req.method, path: req.path, streaming, watch: req.query?.watch === true });
  proto.request = function countedRequest<T>(this: ApiTransport, req: ApiRequest): Promise<T> {
    note(req, false);
    return request.call(this, req) as Promise<T>;
  };
  proto.stream = function countedStream(this: ApiTransport, ...args: Parameters<ApiTransport['stream']>): Promise<void> {
    note(args[0], true);
    return stream.apply(this, args);
  };
  return {
    requests,
    restore: () => {
      proto.request = request;
      proto.stream = stream;
    },
  };
}
