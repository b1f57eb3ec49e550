# Thin wrapper over CMake and ci/: the README's two commands.
.PHONY: all deps build run test memcheck sanitize coverage clean

all: build

deps:
	ci/deps.sh

build: deps
	ci/build.sh

run: build
	ci/run-main.sh

test: deps
	ci/test.sh

memcheck: deps
	ci/memcheck.sh

sanitize: deps
	ci/sanitize.sh

coverage: deps
	ci/coverage.sh

clean:
	rm -rf build build-memcheck build-asan build-cov
