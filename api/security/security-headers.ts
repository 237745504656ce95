import helmet from 'helmet';

/**
 * Security headers on every answer (helmet), with a content security policy the pages and Swagger UI
 * work under: scripts and connections from this origin only (socket.io's websocket included), inline
 * styles allowed (Swagger UI sets them), images from here or data: URLs, no framing, no plugins.
 */
export function securityHeaders(): ReturnType<typeof helmet> {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'", 'ws:', 'wss:'],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    // The API is also called cross-origin when CORS_ORIGINS allows it: only what it serves, not who may read it, is limited here.
    crossOriginResourcePolicy: { policy: 'same-site' },
    // Over plain HTTP on 127.0.0.1 HSTS would only confuse; behind TLS the proxy in front sets it.
    strictTransportSecurity: false,
  });
}
