# localmode_add_test: registers a cmocka test of a localmode job with CTest.
#
#   localmode_add_test(<name>
#       SOURCES <file.c>...              test sources (one main() running cmocka groups)
#       [LIBRARIES <target>...]          the job's own libraries
#       [LABELS <label>...]              extra CTest labels
#       [FIXTURE_DIR <dir>]              where relative lmt_load_fixture paths are found
#       [ENVIRONMENT <VAR=value>...]     extra environment for the test
#       [TIMEOUT <seconds>]
#       [NO_MEMCHECK])                   skip the valgrind variant
#
# Builds <name> linked with the localmode testkit (which brings the engine
# and cmocka) and adds two CTest tests: <name> (label "unit") and, when
# valgrind is installed, <name>.memcheck (label "memcheck"), the same
# program under valgrind with leaks counted as errors. `ctest -L unit` runs
# the fast ones, `ctest -L memcheck` the checked ones; `ctest -j` is safe,
# each test process has its own session and scratch folder.
#
# Works both with find_package(localmode) (target localmode::localmode_testkit)
# and when localmode is built in the same tree (target localmode_testkit).
include_guard(GLOBAL)

find_program(LOCALMODE_VALGRIND valgrind)

function(localmode_add_test name)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "NO_MEMCHECK" "FIXTURE_DIR;TIMEOUT"
                        "SOURCES;LIBRARIES;LABELS;ENVIRONMENT")
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "localmode_add_test(${name}): SOURCES is required")
  endif()
  if(TARGET localmode::localmode_testkit)
    set(testkit localmode::localmode_testkit)
  elseif(TARGET localmode_testkit)
    set(testkit localmode_testkit)
  else()
    message(FATAL_ERROR "localmode_add_test(${name}): the localmode testkit is not available; "
                        "use find_package(localmode) or add_subdirectory(<localmode>) first")
  endif()

  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${testkit} ${ARG_LIBRARIES})

  set(env ${ARG_ENVIRONMENT})
  if(ARG_FIXTURE_DIR)
    list(APPEND env "LMT_FIXTURE_DIR=${ARG_FIXTURE_DIR}")
  endif()

  add_test(NAME ${name} COMMAND ${name})
  set(tests ${name})
  set_tests_properties(${name} PROPERTIES LABELS "unit;${ARG_LABELS}")
  # valgrind cannot run a sanitizer build (both replace the allocator)
  if(LOCALMODE_VALGRIND AND NOT ARG_NO_MEMCHECK AND NOT LM_SANITIZE
     AND NOT CMAKE_C_FLAGS MATCHES "-fsanitize")
    add_test(NAME ${name}.memcheck
             COMMAND ${LOCALMODE_VALGRIND} -q --leak-check=full
                     --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=1
                     $<TARGET_FILE:${name}>)
    set_tests_properties(${name}.memcheck PROPERTIES LABELS "memcheck;${ARG_LABELS}")
    list(APPEND tests ${name}.memcheck)
  endif()
  foreach(t ${tests})
    if(env)
      set_tests_properties(${t} PROPERTIES ENVIRONMENT "${env}")
    endif()
    if(ARG_TIMEOUT)
      set_tests_properties(${t} PROPERTIES TIMEOUT ${ARG_TIMEOUT})
    endif()
  endforeach()
endfunction()
