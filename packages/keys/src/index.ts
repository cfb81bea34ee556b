/**
 * @twx/keys — API keys: format, storage, lifecycle and the verification hot path.
 * See README.md for the design (format, hash, cache and revocation bound, usage counting).
 */
export {
  BASE62_ALPHABET,
  KEY_CHECKSUM_LENGTH,
  KEY_LENGTH,
  KEY_PREFIX,
  KEY_RANDOM_LENGTH,
  KEY_START_RANDOM_CHARS,
  checksumOf,
  crc32,
  formatKey,
  generateKey,
  isWellFormedKey,
  keyStart,
  parseKey,
  type ParseFailure,
  type ParseResult,
  type ParsedKey,
} from "./format";
export { hashKey, hashesEqual, pepperFromEnv } from "./hash";
export {
  KeyLimitExceededError,
  KeyNotFoundError,
  KeyStateError,
  KeysError,
  UnknownActorError,
  ValidationError,
  type KeysErrorCode,
  type ValidationIssue,
} from "./errors";
export { hasControlCharacters } from "./name";
export {
  AUDIT_ACTIONS,
  AUDIT_TARGET_TYPE,
  KEY_NAME_MAX,
  MAX_ACTIVE_KEYS,
  MAX_ROLL_GRACE_SECONDS,
  createKey,
  getKey,
  listKeys,
  renameKey,
  revokeKey,
  rollKey,
  type ApiKeyDto,
  type ApiKeyWithSecret,
  type CreateKeyInput,
  type LifecycleOptions,
  type ListKeysInput,
  type RollKeyInput,
  type RollResult,
} from "./lifecycle";
export {
  createKeyVerifier,
  createKeyVerifierFromEnv,
  type KeyVerifier,
  type KeyVerifierOptions,
  type KeyVerifierStats,
  type VerifiedKey,
  type VerifyFailure,
  type VerifyResult,
} from "./verifier";
export {
  DEFAULT_NAMESPACE,
  announceKeyChange,
  createRedisKeyChangePublisher,
  getKeyChangePublisher,
  onLocalKeyChange,
  setKeyChangePublisher,
  type KeyChange,
  type KeyChangeKind,
  type KeyChangePublisher,
  type RedisPublisherOptions,
} from "./notify";
export { Lru } from "./lru";
export { summarizeKeyUsage, type KeyUsageSummary, type KeyUsageSummaryOptions } from "./usage-summary";
