# dependency edges of an SPDX or CycloneDX document as sorted "from-purl -> to-purl" lines
def spdx_edges:
  ([.packages[] | {key: .SPDXID, value: ([.externalRefs[]? | select(.referenceType == "purl") | .referenceLocator][0])}] | from_entries) as $p
  | [.relationships[] | select(.relationshipType == "DEPENDS_ON") | [$p[.spdxElementId], $p[.relatedSpdxElement]]
     | select(.[0] != null and .[1] != null) | "\(.[0]) -> \(.[1])"];
def cdx_edges:
  ([.. | objects | select(has("bom-ref")) | {key: .["bom-ref"], value: .purl}] | from_entries) as $p
  | [.dependencies[]? | .ref as $r | .dependsOn[] | [$p[$r], $p[.]] | select(.[0] != null and .[1] != null) | "\(.[0]) -> \(.[1])"];
(if .spdxVersion then spdx_edges else cdx_edges end) | sort | .[]
