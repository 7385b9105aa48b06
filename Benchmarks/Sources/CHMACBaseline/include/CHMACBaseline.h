#ifndef HOOKGATE_CHMACBASELINE_H
#define HOOKGATE_CHMACBASELINE_H

#include <stddef.h>

/// Bare OpenSSL HMAC-SHA256 calls, the baselines `StripeSignatureScheme.verify` is measured against.
/// Every function writes a 32-byte MAC to `out` and returns 1 on success.

/// Opaque HMAC-SHA256 state keyed once: two `EVP_MAC_CTX` (the "HMAC" EVP_MAC fetched once), one reused
/// per call and one never finalised to copy from, plus a deprecated `HMAC_CTX`, all with the same key.
typedef struct CHMACBaseline_keyed CHMACBaseline_keyed;

CHMACBaseline_keyed *CHMACBaseline_keyed_new(const void *key, size_t key_length);
void CHMACBaseline_keyed_free(CHMACBaseline_keyed *keyed);

/// One EVP_MAC_CTX reused: `EVP_MAC_init(ctx, NULL, 0, NULL)` (keeps the key) + update + final.
int CHMACBaseline_evp_mac_reinit(CHMACBaseline_keyed *keyed, const void *bytes, size_t length, unsigned char *out);

/// What HookgateCore's `HMACKey` does: `EVP_MAC_CTX_dup` of the keyed context + update + final + free.
int CHMACBaseline_evp_mac_dup(const CHMACBaseline_keyed *keyed, const void *bytes, size_t length, unsigned char *out);

/// One HMAC_CTX reused (deprecated API): `HMAC_Init_ex(ctx, NULL, 0, NULL, NULL)` + update + final.
int CHMACBaseline_hmac_ctx_reinit(CHMACBaseline_keyed *keyed, const void *bytes, size_t length, unsigned char *out);

/// One-shot `HMAC(EVP_sha256(), key, ...)`: sets the key up again on every call.
int CHMACBaseline_hmac_oneshot(
    const void *key, size_t key_length, const void *bytes, size_t length, unsigned char *out);

#endif
