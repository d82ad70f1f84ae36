// usage: node cdx_validate.js BOM...  -- @cyclonedx/cyclonedx-library's strict JSON validator
// (offline, ajv). Prints "valid <file>" or "INVALID <file> <detail>"; exit 1 if any is invalid.
const CDX = require('@cyclonedx/cyclonedx-library');
const fs = require('fs');

async function main() {
    let bad = 0;
    for (const f of process.argv.slice(2)) {
        const bom = fs.readFileSync(f, 'utf8');
        const v = new CDX.Validation.JsonStrictValidator(JSON.parse(bom).specVersion);
        const err = await v.validate(bom);
        if (err === null) {
            console.log('valid', f);
        } else {
            console.log('INVALID', f, JSON.stringify(err).slice(0, 300));
            bad++;
        }
    }
    process.exitCode = bad ? 1 : 0;
}
main().catch(e => { console.log('validator error:', e.message); process.exitCode = 2; });
