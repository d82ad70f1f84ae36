/* rpm: rpmdb.sqlite (rpm >= 4.16: table Packages(hnum, blob)) read in memory through
 * sqlite3_deserialize, or the older Berkeley DB Packages (cat_rpm_bdb.c); each header blob
 * is parsed by rpm_header.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef VOUCH_HAVE_SQLITE
#include <sqlite3.h>
#endif

#include "cat_internal.h"
#include "rpm_header.h"
#include "vouch/mem.h"

#define RPMDB_CAP ((size_t)256 << 20)

static const struct want_rule rules[] = {
    {"var/lib/rpm/rpmdb.sqlite", RPMDB_CAP},
    {"usr/lib/sysimage/rpm/rpmdb.sqlite", RPMDB_CAP},
    {"usr/share/rpm/rpmdb.sqlite", RPMDB_CAP},
    {"var/lib/rpm/Packages", RPMDB_CAP},
    {"usr/lib/sysimage/rpm/Packages", RPMDB_CAP},
    {"var/lib/rpm/Packages.db", RPMDB_CAP},
    {"usr/lib/sysimage/rpm/Packages.db", RPMDB_CAP},
    {NULL, 0},
};

static int set_version(struct sbom_pkg *k, const struct rpm_info *in, struct vouch_error *err)
{
    char ep[16] = "";
    size_t n;
    int rc;
    if (in->has_epoch) {
        snprintf(ep, sizeof(ep), "%u", (unsigned)in->epoch);
        if ((rc = util_set(&k->epoch, ep, (size_t)-1, err)) != 0) {
            return rc;
        }
    }
    n = strlen(ep) + strlen(in->version) + (in->release ? strlen(in->release) : 0) + 3;
    if ((k->version = malloc(n)) == NULL) {
        return vouch_enomem(err);
    }
    snprintf(k->version, n, "%s%s%s%s%s", ep, ep[0] ? ":" : "", in->version, in->release ? "-" : "",
             in->release ? in->release : "");
    return 0;
}

/* Move the parsed header into a new package (gpg-pubkey pseudo packages are skipped). */
static int add_pkg(struct sbom_doc *doc, struct rpm_info *in, struct vouch_error *err)
{
    struct sbom_pkg *k;
    int rc;
    if (strcmp(in->name, "gpg-pubkey") == 0) {
        return 0;
    }
    if ((rc = doc_pkg_add(&k, doc, SBOM_PKG_RPM, err)) != 0) {
        return rc;
    }
    k->name = in->name;
    k->arch = in->arch;
    k->release = in->release;
    k->source = in->sourcerpm;
    k->supplier = in->vendor != NULL && in->vendor[0] != '\0' ? in->vendor : NULL;
    if (k->supplier == NULL) {
        free(in->vendor);
    }
    k->files = in->files;
    in->name = in->arch = in->release = in->sourcerpm = in->vendor = NULL;
    memset(&in->files, 0, sizeof(in->files));
    if (in->license != NULL && (rc = strv_push(&k->licenses, in->license, (size_t)-1, err)) != 0) {
        return rc;
    }
    in->release = k->release; /* borrowed for the version string */
    rc = set_version(k, in, err);
    in->release = NULL;
    return rc;
}

int rpm_add_blob(struct sbom_doc *doc, const unsigned char *blob, size_t len, const char *path,
                 struct vouch_error *err)
{
    struct rpm_info in;
    struct vouch_error e = VOUCH_ERROR_INIT;
    int rc = rpm_header_parse(&in, blob, len, &e);
    if (rc == VOUCH_ENOMEM) {
        return vouch_error_set(err, rc, "%s", e.msg);
    }
    if (rc != 0) {
        doc_warn(doc, "rpm: '%s': %s, entry skipped", path, e.msg);
        return 0;
    }
    rc = add_pkg(doc, &in, err);
    rpm_info_release(&in);
    return rc;
}

#ifdef VOUCH_HAVE_SQLITE
#define RPMDB_MAX_STEPS 200000000L /* about a minute of work: far above any real rpmdb */

static int too_many_steps(void *arg)
{
    long *steps = arg;
    *steps += 1000;
    return *steps > RPMDB_MAX_STEPS;
}

/* rpm's schema makes Packages a table; a view (or a virtual table) runs attacker-chosen SQL */
static int packages_is_table(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    int ok = sqlite3_prepare_v2(db,
                                "SELECT type FROM sqlite_schema WHERE name = 'Packages' "
                                "AND sql NOT LIKE 'CREATE VIRTUAL%'",
                                -1, &st, NULL) == SQLITE_OK &&
             sqlite3_step(st) == SQLITE_ROW &&
             strcmp((const char *)sqlite3_column_text(st, 0), "table") == 0;
    sqlite3_finalize(st);
    return ok;
}

static int read_sqlite(struct sbom_doc *doc, const unsigned char *d, size_t len, const char *path,
                       struct vouch_error *err)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    unsigned char *copy = sqlite3_malloc64(len ? len : 1);
    long steps = 0;
    int rc = 0, s = SQLITE_DONE;
    if (copy == NULL ||
        sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        sqlite3_free(copy);
        rc = vouch_enomem(err);
        goto done;
    }
    memcpy(copy, d, len);
    if (len > 19 && copy[18] == 2 && copy[19] == 2) { /* WAL mode: read as rollback journal */
        copy[18] = copy[19] = 1;
    }
    sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
    sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
    /* a hostile database can make any query run for ever (a recursive view, a huge
     * index): abort after RPMDB_MAX_STEPS virtual machine steps */
    sqlite3_progress_handler(db, 1000, too_many_steps, &steps);
    if (sqlite3_deserialize(db, "main", copy, (sqlite3_int64)len, (sqlite3_int64)len,
                            SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_READONLY) !=
        SQLITE_OK) {
        doc_warn(doc, "rpm: '%s': not a readable rpm sqlite database: %s", path,
                 sqlite3_errmsg(db));
        goto done;
    }
    if (!packages_is_table(db)) {
        doc_warn(doc, "rpm: '%s': Packages is not a table: database skipped", path);
        goto done;
    }
    if (sqlite3_prepare_v2(db, "SELECT blob FROM Packages ORDER BY hnum", -1, &st, NULL) !=
        SQLITE_OK) {
        doc_warn(doc, "rpm: '%s': not a readable rpm sqlite database: %s", path,
                 sqlite3_errmsg(db));
        goto done;
    }
    while (rc == 0 && (s = sqlite3_step(st)) == SQLITE_ROW) {
        const unsigned char *b = sqlite3_column_blob(st, 0);
        int n = sqlite3_column_bytes(st, 0);
        rc = b != NULL && n > 0 ? rpm_add_blob(doc, b, (size_t)n, path, err) : 0;
    }
    if (rc == 0 && s != SQLITE_DONE) {
        doc_warn(doc, "rpm: '%s': database read stopped: %s", path,
                 steps > RPMDB_MAX_STEPS ? "too much work" : sqlite3_errmsg(db));
    }
done:
    sqlite3_finalize(st);
    sqlite3_close(db);
    return rc;
}
#else
static int read_sqlite(struct sbom_doc *doc, const unsigned char *d, size_t len, const char *path,
                       struct vouch_error *err)
{
    (void)d;
    (void)len;
    (void)err;
    doc_warn(doc, "rpm: '%s': built without sqlite support, skipped", path);
    return 0;
}
#endif

static int run(struct sbom_doc *doc, const struct sbom_root *r, struct vouch_error *err)
{
    for (size_t i = 0; rules[i].glob != NULL; i++) {
        const unsigned char *d;
        size_t len;
        if (cat_read(&d, &len, doc, r, rules[i].glob) == 0) {
            const char *g = rules[i].glob;
            return strstr(g, ".sqlite") != NULL ? read_sqlite(doc, d, len, g, err)
                   : strstr(g, ".db") != NULL   ? rpm_read_ndb(doc, d, len, g, err)
                                                : rpm_read_bdb(doc, d, len, g, err);
        }
    }
    return 0;
}

const struct cataloger cat_rpm = {"rpm", rules, run};
