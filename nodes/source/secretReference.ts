// The secret reference rule moved to the engine so pipeline-level settings (alert e-mail) share it.
export { isSecretReference, resolveSecret, secretReferenceSchema } from '../../engine/node/secretReference.js';
