/* Private helpers shared by the reference parser and the OCI client. */
#ifndef SIGN_REF_INTERNAL_H
#define SIGN_REF_INTERNAL_H

/** 1 if "host[:port]" names a loopback host: localhost, 127.0.0.0/8, [::1]. */
int ref_host_is_loopback(const char *hostport);

/** Character classes of the reference grammar (ref_terminals.c). */
int ref_is_lower_alnum(char c);
int ref_is_alnum(char c);
int ref_is_hex(char c);

#endif
