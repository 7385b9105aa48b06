#ifndef HOOKGATE_COPENSSL_CERTIFICATE_H
#define HOOKGATE_COPENSSL_CERTIFICATE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

/// A certificate (or chain) and its private key in PEM, each in a malloc'ed buffer.
/// Free with `COpenSSL_credentials_free`.
typedef struct {
    unsigned char *certificate;
    size_t certificate_length;
    unsigned char *private_key;
    size_t private_key_length;
} COpenSSL_credentials;

/// What `COpenSSL_check_development_ca` found.
typedef enum __attribute__((enum_extensibility(closed))) {
    COpenSSL_ca_ok = 0,
    /// OpenSSL failed (out of memory).
    COpenSSL_ca_failed,
    /// The CA certificate or key is no PEM OpenSSL can read.
    COpenSSL_ca_unreadable,
    /// The CA key does not belong to the CA certificate.
    COpenSSL_ca_key_mismatch,
    /// The CA certificate may not sign certificates (no CA:TRUE, or no keyCertSign).
    COpenSSL_ca_not_a_ca,
    /// The CA certificate has expired.
    COpenSSL_ca_expired,
} COpenSSL_ca_status;

/// Wipes and frees both buffers of `credentials` and sets them to NULL.
static inline void COpenSSL_credentials_free(COpenSSL_credentials *credentials) {
    free(credentials->certificate);
    if (credentials->private_key != NULL) OPENSSL_cleanse(credentials->private_key, credentials->private_key_length);
    free(credentials->private_key);
    *credentials = (COpenSSL_credentials){0};
}

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

/// Adds an extension written in OpenSSL's configuration syntax (e.g. "critical,CA:FALSE") to `certificate`,
/// with `issuer` for the authority key identifier. Returns 1 on success.
static inline int COpenSSL_add_extension(X509 *certificate, X509 *issuer, int nid, const char *value) {
    X509V3_CTX context;
    X509V3_set_ctx_nodb(&context);
    X509V3_set_ctx(&context, issuer, certificate, NULL, NULL, 0);
    X509_EXTENSION *extension = X509V3_EXT_conf_nid(NULL, &context, nid, value);
    if (extension == NULL) return 0;
    int added = X509_add_ext(certificate, extension, -1);
    X509_EXTENSION_free(extension);
    return added;
}

/// Starts a v3 certificate for `key`: a random positive 128-bit serial, valid from five minutes ago for
/// `valid_days`, subject O="Hookgate development", CN=`common_name`. Returns NULL on failure.
static inline X509 *COpenSSL_new_certificate(EVP_PKEY *key, const char *common_name, long valid_days) {
    X509 *certificate = X509_new();
    unsigned char serial_bytes[16];
    BIGNUM *serial = NULL;
    X509_NAME *name = NULL;
    if (certificate == NULL || RAND_bytes(serial_bytes, sizeof serial_bytes) != 1) goto failed;
    serial_bytes[0] &= 0x7F; /* a positive serial number */
    serial = BN_bin2bn(serial_bytes, sizeof serial_bytes, NULL);
    name = X509_get_subject_name(certificate);
    if (serial == NULL || BN_to_ASN1_INTEGER(serial, X509_get_serialNumber(certificate)) == NULL) goto failed;
    if (!X509_set_version(certificate, 2)) goto failed; /* v3 */
    if (X509_gmtime_adj(X509_getm_notBefore(certificate), -300) == NULL) goto failed;
    if (X509_gmtime_adj(X509_getm_notAfter(certificate), valid_days * 24L * 3600L) == NULL) goto failed;
    if (!X509_set_pubkey(certificate, key)) goto failed;
    if (!X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, (const unsigned char *)"Hookgate development", -1, -1, 0))
        goto failed;
    if (!X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, (const unsigned char *)common_name, -1, -1, 0))
        goto failed;
    BN_free(serial);
    return certificate;
failed:
    BN_free(serial);
    X509_free(certificate);
    return NULL;
}

/// Appends `certificate` in PEM to `chain`, and `key` (when not NULL) in PEM to `keys`. Returns 1 on success.
static inline int COpenSSL_write_pem(BIO *chain, X509 *certificate, BIO *keys, EVP_PKEY *key) {
    if (!PEM_write_bio_X509(chain, certificate)) return 0;
    return key == NULL || PEM_write_bio_PrivateKey(keys, key, NULL, NULL, 0, NULL, NULL);
}

/// Moves the contents of `chain` and `keys` into `out`. Returns 1 on success; on failure `out` is empty.
static inline int COpenSSL_copy_credentials(BIO *chain, BIO *keys, COpenSSL_credentials *out) {
    out->certificate = COpenSSL_bio_copy(chain, &out->certificate_length);
    out->private_key = COpenSSL_bio_copy(keys, &out->private_key_length);
    if (out->certificate != NULL && out->private_key != NULL) return 1;
    COpenSSL_credentials_free(out);
    return 0;
}

/// Makes an ECDSA P-256 key and a self-signed development certificate authority: CN=`common_name`,
/// critical CA:TRUE with pathlen:0, keyCertSign and cRLSign, valid for `valid_days`.
/// Returns 1 with the CA certificate and key in `*out`, or 0 with `*out` empty.
static inline int COpenSSL_make_development_ca(const char *common_name, long valid_days, COpenSSL_credentials *out) {
    int ok = 0;
    EVP_PKEY *key = EVP_EC_gen("P-256");
    X509 *ca = key == NULL ? NULL : COpenSSL_new_certificate(key, common_name, valid_days);
    BIO *chain = BIO_new(BIO_s_mem());
    BIO *keys = BIO_new(BIO_s_mem());
    *out = (COpenSSL_credentials){0};
    if (ca != NULL && chain != NULL && keys != NULL
        && X509_set_issuer_name(ca, X509_get_subject_name(ca))
        && COpenSSL_add_extension(ca, ca, NID_basic_constraints, "critical,CA:TRUE,pathlen:0")
        && COpenSSL_add_extension(ca, ca, NID_key_usage, "critical,keyCertSign,cRLSign")
        && COpenSSL_add_extension(ca, ca, NID_subject_key_identifier, "hash")
        && X509_sign(ca, key, EVP_sha256())
        && COpenSSL_write_pem(chain, ca, keys, key)
        && COpenSSL_copy_credentials(chain, keys, out)) {
        ok = 1;
    }
    BIO_free(chain);
    BIO_free(keys);
    X509_free(ca);
    EVP_PKEY_free(key);
    return ok;
}

/// Reads a CA certificate and its key from PEM and checks that they belong together, that the certificate
/// may sign certificates and has not expired. On success `*ca` and `*ca_key` are set (the caller frees them).
static inline COpenSSL_ca_status COpenSSL_read_development_ca(
    const unsigned char *certificate_pem, size_t certificate_length,
    const unsigned char *key_pem, size_t key_length,
    X509 **ca, EVP_PKEY **ca_key
) {
    BIO *certificate_bio = BIO_new_mem_buf(certificate_pem, (int)certificate_length);
    BIO *key_bio = BIO_new_mem_buf(key_pem, (int)key_length);
    COpenSSL_ca_status status;
    *ca = certificate_bio == NULL ? NULL : PEM_read_bio_X509(certificate_bio, NULL, NULL, NULL);
    *ca_key = key_bio == NULL ? NULL : PEM_read_bio_PrivateKey(key_bio, NULL, NULL, NULL);
    if (certificate_bio == NULL || key_bio == NULL) {
        status = COpenSSL_ca_failed;
    } else if (*ca == NULL || *ca_key == NULL) {
        status = COpenSSL_ca_unreadable;
    } else if (X509_check_private_key(*ca, *ca_key) != 1) {
        status = COpenSSL_ca_key_mismatch;
    } else if (X509_check_ca(*ca) != 1 || !(X509_get_key_usage(*ca) & KU_KEY_CERT_SIGN)) {
        status = COpenSSL_ca_not_a_ca;
    } else if (X509_cmp_current_time(X509_get0_notAfter(*ca)) <= 0) {
        status = COpenSSL_ca_expired;
    } else {
        status = COpenSSL_ca_ok;
    }
    BIO_free(certificate_bio);
    BIO_free(key_bio);
    if (status != COpenSSL_ca_ok) {
        X509_free(*ca);
        EVP_PKEY_free(*ca_key);
        *ca = NULL;
        *ca_key = NULL;
    }
    return status;
}

/// Checks a CA certificate and its key given in PEM, as `COpenSSL_make_development_certificate` needs them.
static inline COpenSSL_ca_status COpenSSL_check_development_ca(
    const unsigned char *certificate_pem, size_t certificate_length,
    const unsigned char *key_pem, size_t key_length
) {
    X509 *ca = NULL;
    EVP_PKEY *ca_key = NULL;
    COpenSSL_ca_status status =
        COpenSSL_read_development_ca(certificate_pem, certificate_length, key_pem, key_length, &ca, &ca_key);
    X509_free(ca);
    EVP_PKEY_free(ca_key);
    return status;
}

/// Makes an ECDSA P-256 key and a development server certificate signed by the CA given in PEM.
///
/// `common_name` becomes the subject CN; `subject_alt_names` is an OpenSSL list such as
/// "DNS:localhost,IP:127.0.0.1,IP:::1". The certificate has critical CA:FALSE, digitalSignature, serverAuth,
/// subject and authority key identifiers, and is valid for `valid_days` but not past the CA.
/// Returns 1 with the chain (the certificate, then the CA) and the new key in `*out`, or 0 with `*out` empty
/// (also when the CA does not pass `COpenSSL_check_development_ca`).
static inline int COpenSSL_make_development_certificate(
    const unsigned char *ca_certificate_pem, size_t ca_certificate_length,
    const unsigned char *ca_key_pem, size_t ca_key_length,
    const char *common_name, const char *subject_alt_names, long valid_days,
    COpenSSL_credentials *out
) {
    X509 *ca = NULL;
    EVP_PKEY *ca_key = NULL;
    *out = (COpenSSL_credentials){0};
    if (COpenSSL_read_development_ca(ca_certificate_pem, ca_certificate_length, ca_key_pem, ca_key_length, &ca, &ca_key)
        != COpenSSL_ca_ok) {
        return 0;
    }
    int ok = 0;
    EVP_PKEY *key = EVP_EC_gen("P-256");
    X509 *leaf = key == NULL ? NULL : COpenSSL_new_certificate(key, common_name, valid_days);
    BIO *chain = BIO_new(BIO_s_mem());
    BIO *keys = BIO_new(BIO_s_mem());
    if (leaf != NULL && chain != NULL && keys != NULL
        && (ASN1_TIME_compare(X509_get0_notAfter(ca), X509_get0_notAfter(leaf)) >= 0
            || X509_set1_notAfter(leaf, X509_get0_notAfter(ca)))
        && X509_set_issuer_name(leaf, X509_get_subject_name(ca))
        && COpenSSL_add_extension(leaf, ca, NID_basic_constraints, "critical,CA:FALSE")
        && COpenSSL_add_extension(leaf, ca, NID_key_usage, "critical,digitalSignature")
        && COpenSSL_add_extension(leaf, ca, NID_ext_key_usage, "serverAuth")
        && COpenSSL_add_extension(leaf, ca, NID_subject_alt_name, subject_alt_names)
        && COpenSSL_add_extension(leaf, ca, NID_subject_key_identifier, "hash")
        && COpenSSL_add_extension(leaf, ca, NID_authority_key_identifier, "keyid,issuer")
        && X509_sign(leaf, ca_key, EVP_sha256())
        && COpenSSL_write_pem(chain, leaf, keys, key)
        && COpenSSL_write_pem(chain, ca, NULL, NULL)
        && COpenSSL_copy_credentials(chain, keys, out)) {
        ok = 1;
    }
    BIO_free(chain);
    BIO_free(keys);
    X509_free(leaf);
    EVP_PKEY_free(key);
    X509_free(ca);
    EVP_PKEY_free(ca_key);
    return ok;
}

/// Writes the description of the oldest error on this thread's OpenSSL error queue into `buffer` and
/// empties the queue. Returns 0 when the queue was empty.
static inline int COpenSSL_take_error(char *buffer, size_t size) {
    unsigned long code = ERR_get_error();
    if (code != 0) ERR_error_string_n(code, buffer, size);
    ERR_clear_error();
    return code != 0;
}

#endif
