import http from 'http';
import https from 'https';
import type { RequestListener } from 'http';
import type { Socket } from 'net';
import type { TlsMaterial } from './tls';

/** The first byte of every TLS connection: a handshake record (ContentType 22) carrying the ClientHello. */
const TLS_HANDSHAKE = 0x16;

/**
 * One listening port that answers HTTPS and plain HTTP alike, as a product whose manager sits
 * behind one web server for both schemes: each connection is handed, by its first byte, to a TLS
 * server or to the plain HTTP parser. The result is the plain server (listen, address and close as
 * usual); closing idle connections closes the TLS server's too.
 */
export function dualProtocolServer(app: RequestListener, tls: TlsMaterial, options: http.ServerOptions = {}): http.Server {
  const plain = http.createServer(options, app);
  const secure = https.createServer({ ...options, cert: tls.cert, key: tls.key, minVersion: 'TLSv1.2' }, app);
  const parsePlain = plain.listeners('connection') as ((socket: Socket) => void)[];
  plain.removeAllListeners('connection');
  plain.on('connection', (socket: Socket) => {
    socket.once('data', (first: Buffer) => {
      socket.pause();
      socket.unshift(first);
      if (first[0] === TLS_HANDSHAKE) {
        // http.Server accepts half-open sockets for its own parser's sake; under TLS a client that
        // walks away (say, distrusting the certificate) must close the socket, not leave it half-open.
        socket.allowHalfOpen = false;
        secure.emit('connection', socket);
      }
      else for (const listener of parsePlain) listener.call(plain, socket);
      process.nextTick(() => socket.resume());
    });
  });
  const closeIdle = plain.closeIdleConnections.bind(plain);
  plain.closeIdleConnections = () => {
    closeIdle();
    secure.closeIdleConnections();
  };
  plain.keepAliveTimeout = secure.keepAliveTimeout = 65_000;
  return plain;
}
