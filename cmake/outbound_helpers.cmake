# outbound_library(NAME DEPS...): the library of the calling folder, made of every .cpp in it
# (an interface library while the folder has none yet).
function(outbound_library name)
  file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cpp)
  if(sources)
    add_library(outbound_${name} STATIC ${sources})
    target_include_directories(outbound_${name} PUBLIC ${PROJECT_SOURCE_DIR})
    target_link_libraries(outbound_${name} PUBLIC ${ARGN})
  else()
    add_library(outbound_${name} INTERFACE)
    target_include_directories(outbound_${name} INTERFACE ${PROJECT_SOURCE_DIR})
    target_link_libraries(outbound_${name} INTERFACE ${ARGN})
  endif()
endfunction()

# outbound_test(NAME DEPS...): one GoogleTest program of every .cpp in tests/NAME. Tests that run
# the `outbound` program find it at OUTBOUND_BINARY and the shipped files under OUTBOUND_SOURCE_DIR.
function(outbound_test name)
  file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/${name}/*.cpp)
  if(NOT sources)
    return()
  endif()
  add_executable(test_${name} ${sources})
  target_link_libraries(test_${name} PRIVATE ${ARGN} GTest::gtest GTest::gmock GTest::gtest_main)
  target_compile_definitions(test_${name} PRIVATE
    OUTBOUND_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    OUTBOUND_BINARY="$<TARGET_FILE:outbound>")
  gtest_discover_tests(test_${name} DISCOVERY_TIMEOUT 60 PROPERTIES TIMEOUT 300)
endfunction()
