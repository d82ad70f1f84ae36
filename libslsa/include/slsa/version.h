/* Version of libslsa. */
#ifndef SLSA_VERSION_H
#define SLSA_VERSION_H

/** The library's version string (static). */
const char *slsa_version(void);

#endif
