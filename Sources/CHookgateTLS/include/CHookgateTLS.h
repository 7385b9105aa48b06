#ifndef CHOOKGATETLS_H
#define CHOOKGATETLS_H

/// Makes a server `SSL_CTX` of swift-nio-ssl's BoringSSL choose the TLS 1.2 cipher suite by the server's
/// order (`SSL_OP_CIPHER_SERVER_PREFERENCE`), which NIOSSL's configuration has no setting for.
void CHookgateTLS_prefer_server_cipher_order(void *ssl_ctx);

#endif
