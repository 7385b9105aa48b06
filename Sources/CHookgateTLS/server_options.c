#include <stdint.h>
#include "CHookgateTLS.h"

// swift-nio-ssl's BoringSSL, whose symbols carry its CNIOBoringSSL_ prefix. Its header is not included:
// it would clash with the system OpenSSL headers of COpenSSL in the same Swift module.
extern uint32_t CNIOBoringSSL_SSL_CTX_set_options(void *ctx, uint32_t options);

// BoringSSL's value of SSL_OP_CIPHER_SERVER_PREFERENCE (include/openssl/ssl.h).
#define CHOOKGATETLS_SSL_OP_CIPHER_SERVER_PREFERENCE 0x00400000u

void CHookgateTLS_prefer_server_cipher_order(void *ssl_ctx) {
    CNIOBoringSSL_SSL_CTX_set_options(ssl_ctx, CHOOKGATETLS_SSL_OP_CIPHER_SERVER_PREFERENCE);
}
