export function postgresBinDir(): string | undefined;
export function ensurePostgres(): void;
export function ensureChromium(): void;
export const CHROMIUM: string;
