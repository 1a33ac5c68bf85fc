/** The part of the config service the login and auth code reads (kept small so both are tested with a plain map). */
export interface ConfigReader {
  get(name: string): string | undefined;
}
