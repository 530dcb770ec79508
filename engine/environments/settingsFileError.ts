/**
 * A problem with a workspace settings file (environments, pipeline tests): the message names the
 * file and the field and says what to change. Commands report it as invalid input (exit 2).
 */
export class SettingsFileError extends Error {
  override readonly name = 'SettingsFileError';
}
