import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/**
 * A real HTTP server on 127.0.0.1 for the fetch tests (never the internet). It logs every request, and
 * the handlers can misbehave the way real servers do: raw sockets for truncated bodies and resets.
 */
export interface LoggedRequest {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  at: number;
}

export type Handler = (
  req: IncomingMessage,
  res: ServerResponse,
  log: LoggedRequest[],
) => void | Promise<void>;

export interface TestServer {
  url: string;
  requests: LoggedRequest[];
  /** Requests for one path. */
  hits(path: string): LoggedRequest[];
  close(): Promise<void>;
}

export async function startServer(handler: Handler): Promise<TestServer> {
  const requests: LoggedRequest[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    requests.push({
      method: req.method ?? "GET",
      path: req.url ?? "/",
      headers: req.headers,
      at: Date.now(),
    });
    Promise.resolve(handler(req, res, requests)).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(599);
      res.end(String(error));
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    hits: (path) => requests.filter((r) => r.path === path),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export function send(
  res: ServerResponse,
  body: string | Buffer,
  headers: Record<string, string> = {},
  status = 200,
): void {
  const bytes = typeof body === "string" ? Buffer.from(body) : body;
  res.writeHead(status, { "content-length": String(bytes.length), ...headers });
  res.end(bytes);
}

/** Headers and the first half of the body, then a TCP reset. */
export function resetMidBody(res: ServerResponse, body: Buffer): void {
  const socket = res.socket!;
  socket.write(`HTTP/1.1 200 OK\r\ncontent-type: text/csv\r\ncontent-length: ${body.length}\r\n\r\n`);
  socket.write(body.subarray(0, Math.floor(body.length / 2)), () => socket.resetAndDestroy());
}

/** A body shorter than its Content-Length: the server closes the connection 10 bytes early. */
export function shortBody(res: ServerResponse, body: Buffer): void {
  const socket = res.socket!;
  socket.write(`HTTP/1.1 200 OK\r\ncontent-type: text/csv\r\ncontent-length: ${body.length}\r\n\r\n`);
  socket.end(body.subarray(0, body.length - 10));
}

export const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
