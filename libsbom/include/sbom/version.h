/* Version of libsbom. */
#ifndef SBOM_VERSION_H
#define SBOM_VERSION_H

/** The library's version string (static). */
const char *sbom_version(void);

#endif
