# Thin wrapper over CMake and ci/. On a fresh Debian 12 machine:
#   make run    set up, build, and run the main job
#   make test   set up, build, and run every test
# The real work is in ci/*.sh, so CI and people run the same commands.

BUILD_DIR ?= build
JOBS ?= 2
MAKEFLAGS += --no-print-directory

.PHONY: all deps build run test memcheck sanitize coverage format clean

all: build

deps:
	bash ci/deps.sh

build: deps
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo
	cmake --build $(BUILD_DIR) -j$(JOBS)

run: build
	BUILD_DIR=$(BUILD_DIR) bash ci/run-main.sh

test: build
	BUILD_DIR=$(BUILD_DIR) JOBS=$(JOBS) bash ci/test.sh

memcheck: deps
	JOBS=$(JOBS) bash ci/memcheck.sh

sanitize: deps
	JOBS=$(JOBS) bash ci/sanitize.sh

coverage: deps
	JOBS=$(JOBS) bash ci/coverage.sh

# clang-format is not a build dependency: apt-get install clang-format.
format:
	git ls-files '*.c' '*.h' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR) build-memcheck build-asan build-cov
