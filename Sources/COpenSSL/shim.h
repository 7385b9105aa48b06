#ifndef HOOKGATE_COPENSSL_SHIM_H
#define HOOKGATE_COPENSSL_SHIM_H

#include <stddef.h>
#include <string.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

/// The HMAC algorithm, fetched once per process (EVP_MAC_fetch is slow: it looks the name up in the providers).
static inline EVP_MAC *COpenSSL_hmac_algorithm(void) {
    static EVP_MAC *algorithm = NULL;
    EVP_MAC *fetched = __atomic_load_n(&algorithm, __ATOMIC_ACQUIRE);
    if (fetched == NULL) {
        EVP_MAC *candidate = EVP_MAC_fetch(NULL, "HMAC", NULL);
        EVP_MAC *expected = NULL;
        if (candidate != NULL &&
            !__atomic_compare_exchange_n(&algorithm, &expected, candidate, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
            EVP_MAC_free(candidate);
            candidate = expected;
        }
        fetched = candidate;
    }
    return fetched;
}

/// A new HMAC-SHA256 context keyed with `key`, or NULL on failure. Free it with `COpenSSL_hmac_sha256_free`.
static inline EVP_MAC_CTX *COpenSSL_hmac_sha256_new(const void *key, size_t key_length) {
    EVP_MAC *algorithm = COpenSSL_hmac_algorithm();
    if (algorithm == NULL) return NULL;
    EVP_MAC_CTX *context = EVP_MAC_CTX_new(algorithm);
    if (context == NULL) return NULL;
    char digest[] = "SHA256";
    OSSL_PARAM parameters[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
        OSSL_PARAM_construct_end(),
    };
    /* A zero-length key is legal for HMAC; OpenSSL wants a non-NULL pointer for it. */
    static const unsigned char empty = 0;
    if (!EVP_MAC_init(context, key_length == 0 ? &empty : (const unsigned char *)key, key_length, parameters)) {
        EVP_MAC_CTX_free(context);
        return NULL;
    }
    return context;
}

/// A copy of a keyed context, ready for `update`: the key schedule is not computed again.
static inline EVP_MAC_CTX *COpenSSL_hmac_sha256_copy(const EVP_MAC_CTX *keyed) {
    return EVP_MAC_CTX_dup(keyed);
}

/// Resets a keyed context for a new message, keeping its key: no allocation, no new key schedule.
static inline int COpenSSL_hmac_sha256_reset(EVP_MAC_CTX *context) {
    return EVP_MAC_init(context, NULL, 0, NULL);
}

static inline int COpenSSL_hmac_sha256_update(EVP_MAC_CTX *context, const void *bytes, size_t length) {
    if (length == 0) return 1;
    return EVP_MAC_update(context, (const unsigned char *)bytes, length);
}

/// Writes the 32-byte MAC to `out`. Returns 1 on success.
static inline int COpenSSL_hmac_sha256_final(EVP_MAC_CTX *context, unsigned char *out) {
    size_t written = 0;
    return EVP_MAC_final(context, out, &written, 32) && written == 32;
}

static inline void COpenSSL_hmac_sha256_free(EVP_MAC_CTX *context) {
    EVP_MAC_CTX_free(context);
}

#endif
