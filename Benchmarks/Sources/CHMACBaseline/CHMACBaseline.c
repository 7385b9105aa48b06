/* HMAC_CTX is deprecated in OpenSSL 3; it is measured here for reference only. */
#define OPENSSL_SUPPRESS_DEPRECATED 1

#include "CHMACBaseline.h"

#include <stdlib.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/params.h>

struct CHMACBaseline_keyed {
    EVP_MAC_CTX *mac;     /* reinitialised and finalised by every evp_mac_reinit call */
    EVP_MAC_CTX *keyed;   /* never finalised: the template evp_mac_dup copies, as HMACKey keeps one */
    HMAC_CTX *hmac;
};

static EVP_MAC *CHMACBaseline_algorithm(void) {
    static EVP_MAC *algorithm = NULL;
    if (algorithm == NULL) algorithm = EVP_MAC_fetch(NULL, "HMAC", NULL); /* set up once, single-threaded */
    return algorithm;
}

CHMACBaseline_keyed *CHMACBaseline_keyed_new(const void *key, size_t key_length) {
    CHMACBaseline_keyed *keyed = calloc(1, sizeof *keyed);
    if (keyed == NULL) return NULL;
    EVP_MAC *algorithm = CHMACBaseline_algorithm();
    keyed->mac = algorithm == NULL ? NULL : EVP_MAC_CTX_new(algorithm);
    keyed->keyed = algorithm == NULL ? NULL : EVP_MAC_CTX_new(algorithm);
    keyed->hmac = HMAC_CTX_new();
    char digest[] = "SHA256";
    OSSL_PARAM parameters[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
        OSSL_PARAM_construct_end(),
    };
    if (keyed->mac == NULL || keyed->keyed == NULL || keyed->hmac == NULL
        || !EVP_MAC_init(keyed->mac, key, key_length, parameters)
        || !EVP_MAC_init(keyed->keyed, key, key_length, parameters)
        || !HMAC_Init_ex(keyed->hmac, key, (int)key_length, EVP_sha256(), NULL)) {
        CHMACBaseline_keyed_free(keyed);
        return NULL;
    }
    return keyed;
}

void CHMACBaseline_keyed_free(CHMACBaseline_keyed *keyed) {
    if (keyed == NULL) return;
    EVP_MAC_CTX_free(keyed->mac);
    EVP_MAC_CTX_free(keyed->keyed);
    HMAC_CTX_free(keyed->hmac);
    free(keyed);
}

int CHMACBaseline_evp_mac_reinit(CHMACBaseline_keyed *keyed, const void *bytes, size_t length, unsigned char *out) {
    size_t written = 0;
    return EVP_MAC_init(keyed->mac, NULL, 0, NULL)
        && EVP_MAC_update(keyed->mac, bytes, length)
        && EVP_MAC_final(keyed->mac, out, &written, 32)
        && written == 32;
}

int CHMACBaseline_evp_mac_dup(const CHMACBaseline_keyed *keyed, const void *bytes, size_t length, unsigned char *out) {
    EVP_MAC_CTX *copy = EVP_MAC_CTX_dup(keyed->keyed);
    if (copy == NULL) return 0;
    size_t written = 0;
    int ok = EVP_MAC_update(copy, bytes, length) && EVP_MAC_final(copy, out, &written, 32) && written == 32;
    EVP_MAC_CTX_free(copy);
    return ok;
}

int CHMACBaseline_hmac_ctx_reinit(CHMACBaseline_keyed *keyed, const void *bytes, size_t length, unsigned char *out) {
    unsigned int written = 0;
    return HMAC_Init_ex(keyed->hmac, NULL, 0, NULL, NULL)
        && HMAC_Update(keyed->hmac, bytes, length)
        && HMAC_Final(keyed->hmac, out, &written)
        && written == 32;
}

int CHMACBaseline_hmac_oneshot(
    const void *key, size_t key_length, const void *bytes, size_t length, unsigned char *out) {
    unsigned int written = 0;
    return HMAC(EVP_sha256(), key, (int)key_length, bytes, length, out, &written) != NULL && written == 32;
}
