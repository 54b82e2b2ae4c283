# confluent_data_files(<component>): the files beside the calling CMakeLists.txt (which is
# left out) are data that ships with the tools. They are copied into
# <build>/share/confluent-cpp/<component> at configure time, so that tools run from <build>/bin
# find them at <exe dir>/../share/confluent-cpp/<component> as an installed tree does
# (data_dir() in base/paths.h), and installed there. configure_file re-runs the copy whenever
# a file changes; COPYONLY keeps the source permissions, so scripts stay executable.
function(confluent_data_files component)
  set(build_dir ${CMAKE_BINARY_DIR}/share/confluent-cpp/${component})
  file(GLOB_RECURSE files FOLLOW_SYMLINKS CONFIGURE_DEPENDS RELATIVE ${CMAKE_CURRENT_SOURCE_DIR} ${CMAKE_CURRENT_SOURCE_DIR}/*)
  list(REMOVE_ITEM files CMakeLists.txt)
  foreach(file ${files})
    configure_file(${file} ${build_dir}/${file} COPYONLY)
  endforeach()
  install(DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}/
          DESTINATION ${CMAKE_INSTALL_DATADIR}/confluent-cpp/${component}
          USE_SOURCE_PERMISSIONS
          PATTERN CMakeLists.txt EXCLUDE)
endfunction()
