/**
 * Writes a transport-independent media response (engine/tiles/media-handler)
 * to a Node HTTP response: bytes as they are, streams piped, HEAD without body.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { MediaResponse } from '../engine/tiles';

export function sendMediaResponse(req: IncomingMessage, res: ServerResponse, response: MediaResponse): void {
  res.writeHead(response.status, response.headers);
  const { body } = response;
  if (req.method === 'HEAD') {
    if (body instanceof Readable) body.destroy();
    res.end();
    return;
  }
  if (body instanceof Readable) {
    body.on('error', () => res.destroy());
    body.pipe(res);
  } else {
    res.end(body);
  }
}
