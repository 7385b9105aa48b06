#ifndef HOOKGATE_COPENSSL_CERTIFICATE_H
#define HOOKGATE_COPENSSL_CERTIFICATE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

/// Copies a memory BIO's contents into a new malloc'ed buffer (caller frees) and sets `*length`.
static inline unsigned char *COpenSSL_bio_copy(BIO *bio, size_t *length) {
    char *data = NULL;
    long count = BIO_get_mem_data(bio, &data);
    if (count <= 0) return NULL;
    unsigned char *copy = malloc((size_t)count);
    if (copy == NULL) return NULL;
    memcpy(copy, data, (size_t)count);
    *length = (size_t)count;
    return copy;
}

static inline int COpenSSL_add_extension(X509 *certificate, int nid, const char *value) {
    X509V3_CTX context;
    X509V3_set_ctx_nodb(&context);
    X509V3_set_ctx(&context, certificate, certificate, NULL, NULL, 0);
    X509_EXTENSION *extension = X509V3_EXT_conf_nid(NULL, &context, nid, value);
    if (extension == NULL) return 0;
    int added = X509_add_ext(certificate, extension, -1);
    X509_EXTENSION_free(extension);
    return added;
}

/// Makes an ECDSA P-256 key and a self-signed server certificate for development.
///
/// `common_name` becomes the subject CN; `subject_alt_names` is an OpenSSL list such as
/// "DNS:localhost,IP:127.0.0.1,IP:::1". Both PEMs are returned in malloc'ed buffers the caller frees.
/// Returns 1 on success, 0 on failure (nothing to free then).
static inline int COpenSSL_make_development_certificate(
    const char *common_name, const char *subject_alt_names, long valid_days,
    unsigned char **certificate_pem, size_t *certificate_length,
    unsigned char **private_key_pem, size_t *private_key_length
) {
    int ok = 0;
    EVP_PKEY *key = EVP_EC_gen("P-256");
    X509 *certificate = X509_new();
    BIO *certificate_bio = BIO_new(BIO_s_mem());
    BIO *key_bio = BIO_new(BIO_s_mem());
    unsigned char serial_bytes[16];
    BIGNUM *serial = NULL;
    *certificate_pem = NULL;
    *private_key_pem = NULL;
    if (key == NULL || certificate == NULL || certificate_bio == NULL || key_bio == NULL) goto done;
    if (RAND_bytes(serial_bytes, sizeof serial_bytes) != 1) goto done;
    serial_bytes[0] &= 0x7F; /* a positive serial number */
    serial = BN_bin2bn(serial_bytes, sizeof serial_bytes, NULL);
    if (serial == NULL || BN_to_ASN1_INTEGER(serial, X509_get_serialNumber(certificate)) == NULL) goto done;
    if (!X509_set_version(certificate, 2)) goto done; /* v3 */
    if (X509_gmtime_adj(X509_getm_notBefore(certificate), -300) == NULL) goto done;
    if (X509_gmtime_adj(X509_getm_notAfter(certificate), valid_days * 24L * 3600L) == NULL) goto done;
    if (!X509_set_pubkey(certificate, key)) goto done;
    X509_NAME *name = X509_get_subject_name(certificate);
    if (!X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, (const unsigned char *)"Hookgate development", -1, -1, 0))
        goto done;
    if (!X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)common_name, -1, -1, 0)) goto done;
    if (!X509_set_issuer_name(certificate, name)) goto done;
    if (!COpenSSL_add_extension(certificate, NID_basic_constraints, "critical,CA:FALSE")) goto done;
    if (!COpenSSL_add_extension(certificate, NID_key_usage, "critical,digitalSignature")) goto done;
    if (!COpenSSL_add_extension(certificate, NID_ext_key_usage, "serverAuth")) goto done;
    if (!COpenSSL_add_extension(certificate, NID_subject_alt_name, subject_alt_names)) goto done;
    if (!COpenSSL_add_extension(certificate, NID_subject_key_identifier, "hash")) goto done;
    if (!X509_sign(certificate, key, EVP_sha256())) goto done;
    if (!PEM_write_bio_X509(certificate_bio, certificate)) goto done;
    if (!PEM_write_bio_PrivateKey(key_bio, key, NULL, NULL, 0, NULL, NULL)) goto done;
    *certificate_pem = COpenSSL_bio_copy(certificate_bio, certificate_length);
    *private_key_pem = COpenSSL_bio_copy(key_bio, private_key_length);
    if (*certificate_pem == NULL || *private_key_pem == NULL) {
        free(*certificate_pem);
        if (*private_key_pem != NULL) OPENSSL_cleanse(*private_key_pem, *private_key_length);
        free(*private_key_pem);
        *certificate_pem = NULL;
        *private_key_pem = NULL;
        goto done;
    }
    ok = 1;
done:
    BN_free(serial);
    BIO_free(certificate_bio);
    BIO_free(key_bio);
    X509_free(certificate);
    EVP_PKEY_free(key);
    return ok;
}

/// Wipes and frees a buffer returned by `COpenSSL_make_development_certificate`.
static inline void COpenSSL_free_pem(unsigned char *buffer, size_t length) {
    if (buffer == NULL) return;
    OPENSSL_cleanse(buffer, length);
    free(buffer);
}

#endif
