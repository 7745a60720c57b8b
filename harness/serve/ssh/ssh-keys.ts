import ssh2 from 'ssh2';

/** Enough tries that a malformed pair (≈ 0.5 % each) never gets through: 0.005^16 ≈ 1.5e-37. */
const MAX_TRIES = 16;

/**
 * An ed25519 key pair in OpenSSH format that ssh2 itself can read back. ssh2 1.17's `utils.generateKeyPairSync`
 * drops a leading zero byte of the 32-byte public key about once in 200 pairs (`AAAAH…`: a 31-byte key), and both
 * halves of such a pair are then refused by `utils.parseKey` ("Malformed OpenSSH public key"): a served host key that
 * cannot be loaded, or a client key the server refuses. Such a pair is drawn again.
 */
export function generateEd25519KeyPair(): { private: string; public: string } {
  for (let i = 0; i < MAX_TRIES; i++) {
    const keys = ssh2.utils.generateKeyPairSync('ed25519');
    if (!(ssh2.utils.parseKey(keys.public) instanceof Error) && !(ssh2.utils.parseKey(keys.private) instanceof Error)) return keys;
  }
  throw new Error(`ssh2 generated ${MAX_TRIES} unreadable ed25519 key pairs in a row`);
}
