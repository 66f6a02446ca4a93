import pino, { type Logger } from "pino";
import type { Config } from "./config/schema.ts";

/**
 * Structured logs without secrets or personal data: authorisation and cookie headers, tokens and
 * identity claims are never serialised (request serialisers in http/request-log.ts keep to an
 * allow-list), and `redact` catches the same names anywhere else in a log object.
 */
export function createLogger(config: Pick<Config, "logLevel">, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level: config.logLevel,
      base: { service: "vergewis" },
      redact: {
        paths: [
          "*.authorization",
          "*.cookie",
          "*.password",
          "*.secret",
          "*.token",
          "*.apiKey",
          "*.key",
          "*.code",
          "*.birthdate",
          "*.name",
          "*.email",
        ],
        censor: "[redacted]",
      },
    },
    destination,
  );
}
