/* Document headers of the converted SBOMs: SPDX creationInfo creators <-> CycloneDX
 * metadata tools/authors/manufacturer, creation times, and ids derived from the input's own
 * (documentNamespace <-> serialNumber), so the same input converts to the same bytes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "convert_internal.h"
#include "vouch/mem.h"
#include "vouch/time.h"

/* "name-1.2.3" / "name-v1.2" -> name and version; else the whole text is the name */
static json_t *tool_component(const char *s)
{
    const char *dash = strrchr(s, '-');
    if (dash != NULL && dash > s &&
        ((dash[1] >= '0' && dash[1] <= '9') ||
         (dash[1] == 'v' && dash[2] >= '0' && dash[2] <= '9'))) {
        return json_pack("{s:s, s:s%, s:o}", "type", "application", "name", s, (size_t)(dash - s),
                         "version", cv_jstr(dash + 1));
    }
    return json_pack("{s:s, s:o}", "type", "application", "name", cv_jstr(s));
}

/* the creation time of the input, else the caller's */
static int timestamp(struct cv *c, char out[32], const char *in, const char *what)
{
    int64_t t = c->o != NULL ? c->o->created : 0;
    if (in != NULL && vouch_time_parse_rfc3339(&t, in) != 0) {
        cv_note(c, "%s that is not an RFC 3339 date-time (replaced)", what);
        t = c->o != NULL ? c->o->created : 0;
    }
    return cv_time(out, t);
}

static void creators(struct cv *c, json_t *meta, const json_t *ci)
{
    json_t *tools = json_array(), *authors = json_array();
    const json_t *v;
    const char *k;
    size_t i;
    json_array_foreach(json_object_get(ci, "creators"), i, v)
    {
        const char *s = json_string_value(v);
        if (s != NULL && strncmp(s, "Tool: ", 6) == 0) {
            cv_push(c, tools, tool_component(s + 6));
        } else if (s != NULL && strncmp(s, "Person: ", 8) == 0) {
            cv_push(c, authors, json_pack("{s:o}", "name", cv_jstr(s + 8)));
        } else if (s != NULL && strncmp(s, "Organization: ", 14) == 0 &&
                   json_object_get(meta, "manufacturer") == NULL) {
            cv_set(c, meta, "manufacturer", json_pack("{s:o}", "name", cv_jstr(s + 14)));
        } else {
            cv_note(c, "SPDX creator beyond one organization");
        }
    }
    json_t *me = json_pack("{s:s, s:s, s:s}", "type", "application", "name", "vouch", "version",
                           c->tool_version);
    json_array_foreach(tools, i, v)
    {
        if (json_equal(v, me)) {
            json_decref(me);
            me = NULL;
            break;
        }
    }
    if (me != NULL) {
        cv_push(c, tools, me);
    }
    cv_set(c, meta, "tools", json_pack("{s:o}", "components", tools));
    if (json_array_size(authors) > 0) {
        cv_set(c, meta, "authors", authors);
    } else {
        json_decref(authors);
    }
    json_object_foreach((json_t *)ci, k, v)
    {
        if (strcmp(k, "created") != 0 && strcmp(k, "creators") != 0) {
            cv_note(c, "SPDX creationInfo field '%.64s'", k);
        }
    }
}

json_t *cv_cdx_document(struct cv *c, json_t *root, json_t *components, json_t *deps)
{
    const json_t *ci = json_object_get(c->in, "creationInfo");
    const char *ns = cv_str(c->in, "documentNamespace");
    char uuid[37], ts[32], serial[48];
    char *text = vouch_strf("https://vouch.dev/convert/cyclonedx/%s", ns != NULL ? ns : c->digest);
    json_t *meta = json_object(), *doc;
    if (text == NULL || meta == NULL || components == NULL || deps == NULL) {
        free(text);
        json_decref(meta);
        json_decref(components);
        json_decref(deps);
        return NULL;
    }
    cv_uuid5(uuid, text);
    free(text);
    snprintf(serial, sizeof(serial), "urn:uuid:%s", uuid);
    if (timestamp(c, ts, cv_str(ci, "created"), "SPDX created") != 0) {
        cv_time(ts, 0);
    }
    cv_set(c, meta, "timestamp", json_string(ts));
    creators(c, meta, ci);
    if (root != NULL) {
        cv_set(c, meta, "component", json_incref(root));
    }
    doc = json_pack("{s:s, s:s, s:s, s:s, s:i, s:o, s:o, s:o}", "$schema",
                    "http://cyclonedx.org/schema/bom-1.6.schema.json", "bomFormat", "CycloneDX",
                    "specVersion", "1.6", "serialNumber", serial, "version", 1, "metadata", meta,
                    "components", components, "dependencies", deps);
    return doc;
}

/* ---- CycloneDX metadata -> SPDX creationInfo */

static void push_creator(struct cv *c, json_t *arr, const char *kind, const json_t *o)
{
    const char *name = cv_str(o, "name"), *ver = cv_str(o, "version");
    char *s;
    if (name == NULL) {
        return;
    }
    s = ver != NULL ? vouch_strf("%s: %s-%s", kind, name, ver) : vouch_strf("%s: %s", kind, name);
    cv_push(c, arr, s != NULL ? cv_jstr(s) : NULL);
    free(s);
}

static json_t *spdx_creators(struct cv *c, const json_t *meta)
{
    const json_t *tools = json_object_get(meta, "tools"), *v;
    json_t *arr = json_array();
    size_t i;
    /* CycloneDX 1.4 lists tools as an array, 1.5 and later as {components, services} */
    json_array_foreach(json_is_array(tools) ? tools : json_object_get(tools, "components"), i, v)
    {
        push_creator(c, arr, "Tool", v);
    }
    json_array_foreach(json_object_get(tools, "services"), i, v)
    {
        push_creator(c, arr, "Tool", v);
    }
    json_array_foreach(json_object_get(meta, "authors"), i, v)
    {
        push_creator(c, arr, "Person", v);
    }
    if (json_object_get(meta, "manufacturer") != NULL) {
        push_creator(c, arr, "Organization", json_object_get(meta, "manufacturer"));
    } else if (json_object_get(meta, "manufacture") != NULL) {
        push_creator(c, arr, "Organization", json_object_get(meta, "manufacture"));
    }
    json_t *me = json_pack("s+", "Tool: vouch-", c->tool_version);
    json_array_foreach(arr, i, v)
    {
        if (json_equal(v, me)) {
            json_decref(me);
            return arr;
        }
    }
    cv_push(c, arr, me);
    return arr;
}

json_t *cv_spdx_document(struct cv *c, const char *name)
{
    const json_t *meta = json_object_get(c->in, "metadata");
    const char *serial = cv_str(c->in, "serialNumber");
    char uuid[37], ts[32], san[64];
    char *text = vouch_strf("https://vouch.dev/convert/spdx/%s", serial ? serial : c->digest);
    json_t *doc;
    static const char *const meta_fields[] = {"timestamp",   "tools",     "authors", "manufacturer",
                                              "manufacture", "component", NULL};
    const char *k;
    const json_t *v;
    if (text == NULL) {
        return NULL;
    }
    cv_uuid5(uuid, text);
    free(text);
    if (timestamp(c, ts, cv_str(meta, "timestamp"), "CycloneDX timestamp") != 0) {
        cv_time(ts, 0);
    }
    snprintf(san, sizeof(san), "%s", name);
    for (char *p = san; *p != '\0'; p++) {
        int ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9');
        *p = ok ? *p : '-';
    }
    doc = json_pack("{s:s, s:s, s:s, s:o, s:s+++, s:{s:o, s:s}}", "spdxVersion", "SPDX-2.3",
                    "dataLicense", "CC0-1.0", "SPDXID", "SPDXRef-DOCUMENT", "name", cv_jstr(name),
                    "documentNamespace", "https://vouch.dev/spdxdocs/convert/", san, "-", uuid,
                    "creationInfo", "creators", spdx_creators(c, meta), "created", ts);
    json_object_foreach((json_t *)meta, k, v)
    {
        int known = 0;
        for (size_t i = 0; meta_fields[i] != NULL; i++) {
            known |= strcmp(meta_fields[i], k) == 0;
        }
        if (!known) {
            cv_note(c, "CycloneDX metadata field '%.64s'", k);
        }
    }
    return doc;
}
