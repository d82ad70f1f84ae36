# The libraries for C users (docs/libraries.md): libvouch-sign, libvouch-sbom, libvouch-slsa,
# each shared (versioned SONAME, only the functions its public headers declare exported)
# and static, the public headers under ${includedir}/vouch/, pkg-config files and a CMake
# package (find_package(vouch) with imported targets). The static targets vouch_sign,
# vouch_sbom and vouch_slsa stay what the vouch binary and the tests link.
include(CMakePackageConfigHelpers)
set(VOUCH_SOVERSION 0)
set(VOUCH_INCLUDE_SUBDIR ${CMAKE_INSTALL_INCLUDEDIR}/vouch)
set(VOUCH_GEN_DIR ${CMAKE_BINARY_DIR}/install-gen)

# A linker version script exporting exactly the functions declared at the top level of the
# headers in the given folders ("type name(" at the start of a line).
function(vouch_export_map out)
    set(names "")
    foreach(dir ${ARGN})
        file(GLOB headers ${dir}/*.h)
        foreach(h ${headers})
            set_property(DIRECTORY ${CMAKE_SOURCE_DIR} APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${h})
            file(STRINGS ${h} lines REGEX "^[a-z][a-zA-Z0-9_ *]*[ *][a-z_][a-z0-9_]*\\(")
            foreach(line ${lines})
                if(NOT line MATCHES "^(typedef|static|return|extern) ")
                    string(REGEX MATCH "[a-z_][a-z0-9_]*\\(" name "${line}")
                    string(REPLACE "(" "" name "${name}")
                    list(APPEND names ${name})
                endif()
            endforeach()
        endforeach()
    endforeach()
    list(REMOVE_DUPLICATES names)
    list(SORT names)
    list(JOIN names ";\n        " body)
    file(CONFIGURE OUTPUT ${out} CONTENT "VOUCH_0 {\n    global:\n        ${body};\n    local:\n        *;\n};\n" @ONLY)
endfunction()

set(inc_sign ${CMAKE_SOURCE_DIR}/libsign/include)
set(inc_sbom ${CMAKE_SOURCE_DIR}/libsbom/include)
set(inc_slsa ${CMAKE_SOURCE_DIR}/libslsa/include)
vouch_export_map(${VOUCH_GEN_DIR}/sign.map ${inc_sign}/vouch ${inc_sign}/sign)
vouch_export_map(${VOUCH_GEN_DIR}/sbom.map ${inc_sbom}/sbom)
vouch_export_map(${VOUCH_GEN_DIR}/slsa.map ${inc_slsa}/slsa)

# The third-party libraries a vouch library links ("crypto", "z", ...), read from its targets'
# link lists, so a dependency added there reaches the shared library, the .pc file and the
# CMake package without being named again here.
function(vouch_dep_libs out)
    set(libs "")
    foreach(t ${ARGN})
        get_target_property(deps ${t} LINK_LIBRARIES)
        foreach(d ${deps})
            if(d MATCHES "^PkgConfig::(.+)$")
                list(APPEND libs ${${CMAKE_MATCH_1}_LIBRARIES})
            elseif(d STREQUAL "OpenSSL::Crypto")
                list(APPEND libs crypto)
            elseif(d STREQUAL "OpenSSL::SSL")
                list(APPEND libs ssl)
            elseif(d STREQUAL "Threads::Threads")
                list(APPEND libs pthread)
            endif()
        endforeach()
    endforeach()
    list(REMOVE_DUPLICATES libs)
    set(${out} ${libs} PARENT_SCOPE)
endfunction()
vouch_dep_libs(deps_sign vouch_sign vouch_sign_base vouch_sign_oci vouch_sign_core)
vouch_dep_libs(deps_sbom vouch_sbom)
vouch_dep_libs(deps_slsa vouch_slsa)

# The shared libraries reuse the static libraries' objects and link what those need, with
# the vouch libraries below them taken shared.
set(objs_sign $<TARGET_OBJECTS:vouch_sign_base> $<TARGET_OBJECTS:vouch_sign_oci>
    $<TARGET_OBJECTS:vouch_sign_core>)
set(objs_sbom $<TARGET_OBJECTS:vouch_sbom>)
set(objs_slsa $<TARGET_OBJECTS:vouch_slsa>)
set(below_sign "")
set(below_sbom vouch_sign_shared)
set(below_slsa vouch_sbom_shared vouch_sign_shared)
if(NOT VOUCH_FUZZ)
    foreach(lib sign sbom slsa)
        add_library(vouch_${lib}_shared SHARED ${objs_${lib}})
        target_link_libraries(vouch_${lib}_shared PRIVATE ${below_${lib}} vouch_flags
            ${deps_${lib}})
        target_include_directories(vouch_${lib}_shared INTERFACE
            $<BUILD_INTERFACE:${inc_${lib}}> $<INSTALL_INTERFACE:${VOUCH_INCLUDE_SUBDIR}>)
        target_link_options(vouch_${lib}_shared PRIVATE
            -Wl,--version-script=${VOUCH_GEN_DIR}/${lib}.map)
        if(NOT VOUCH_SANITIZE)
            target_link_options(vouch_${lib}_shared PRIVATE -Wl,--no-undefined)
        endif()
        set_target_properties(vouch_${lib}_shared PROPERTIES OUTPUT_NAME vouch-${lib}
            VERSION ${PROJECT_VERSION} SOVERSION ${VOUCH_SOVERSION}
            LINK_DEPENDS ${VOUCH_GEN_DIR}/${lib}.map)
        install(TARGETS vouch_${lib}_shared LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
        install(FILES $<TARGET_FILE:vouch_${lib}> DESTINATION ${CMAKE_INSTALL_LIBDIR}
            RENAME libvouch-${lib}.a)
        install(DIRECTORY ${inc_${lib}}/ DESTINATION ${VOUCH_INCLUDE_SUBDIR}
            FILES_MATCHING PATTERN "*.h")
    endforeach()
endif()

# pkg-config: vouch-sign.pc, vouch-sbom.pc, vouch-slsa.pc, relocatable (prefix is found from
# the .pc file's own place, so a DESTDIR or moved tree works). Public headers include only
# jansson (vouch/jread.h) among the third-party ones (Requires); Libs.private names the
# libraries a static libvouch needs, over the system's shared ones.
foreach(lib sign sbom slsa)
    list(TRANSFORM deps_${lib} PREPEND "-l" OUTPUT_VARIABLE flags)
    list(JOIN flags " " pc_deps_${lib})
    list(JOIN deps_${lib} " " cmake_deps_${lib}) # for vouchConfig.cmake
endforeach()
file(RELATIVE_PATH PC_REL_PREFIX /${CMAKE_INSTALL_LIBDIR}/pkgconfig /)
string(REGEX REPLACE "/$" "" PC_REL_PREFIX "${PC_REL_PREFIX}")
set(pc_requires_sign "jansson")
set(pc_requires_sbom "vouch-sign = ${PROJECT_VERSION}")
set(pc_requires_slsa "vouch-sbom = ${PROJECT_VERSION}, vouch-sign = ${PROJECT_VERSION}")
set(pc_summary_sign "keys, signatures, DSSE, sigstore bundles, OCI client, TUF (vouch)")
set(pc_summary_sbom "SBOM sources, catalogers and SPDX/CycloneDX formats (vouch)")
set(pc_summary_slsa "in-toto statements, SLSA provenance, policy and admission (vouch)")
foreach(lib sign sbom slsa)
    set(PC_NAME vouch-${lib})
    set(PC_SUMMARY ${pc_summary_${lib}})
    set(PC_REQUIRES ${pc_requires_${lib}})
    set(PC_LIBS_PRIVATE "${pc_deps_${lib}}")
    configure_file(${CMAKE_SOURCE_DIR}/cmake/pkgconfig/vouch.pc.in
        ${VOUCH_GEN_DIR}/vouch-${lib}.pc @ONLY)
    if(NOT VOUCH_FUZZ)
        install(FILES ${VOUCH_GEN_DIR}/vouch-${lib}.pc
            DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
    endif()
endforeach()

# CMake package: ${libdir}/cmake/vouch/vouchConfig.cmake (relocatable: paths are relative
# to the file's own location).
set(VOUCH_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/vouch)
file(RELATIVE_PATH VOUCH_REL_PREFIX /${VOUCH_CMAKE_DIR} /)
configure_file(${CMAKE_SOURCE_DIR}/cmake/vouchConfig.cmake.in
    ${VOUCH_GEN_DIR}/vouchConfig.cmake @ONLY)
write_basic_package_version_file(${VOUCH_GEN_DIR}/vouchConfigVersion.cmake
    VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
if(NOT VOUCH_FUZZ)
    install(FILES ${VOUCH_GEN_DIR}/vouchConfig.cmake ${VOUCH_GEN_DIR}/vouchConfigVersion.cmake
        DESTINATION ${VOUCH_CMAKE_DIR})
endif()
