import { pino, type DestinationStream, type Logger } from "pino";

/**
 * Structured JSON logs on stdout. Request lines carry the request id and, for API keys, the
 * key's non-secret `start`; credentials never reach a log line (and are redacted should a header
 * object ever be logged by mistake).
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: "twx-api" },
    redact: {
      paths: [
        "authorization",
        "headers.authorization",
        'headers["x-api-key"]',
        "req.headers.authorization",
        'req.headers["x-api-key"]',
        "key",
        "token",
      ],
      censor: "[redacted]",
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
