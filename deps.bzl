"""cirque's repository dependencies, for any workspace that builds cirque.

A workspace that uses cirque needs only:

    local_repository(name = "cirque", path = "...")  # or http_archive
    load("@cirque//:deps.bzl", "cirque_dependencies")
    cirque_dependencies()

cirque's own WORKSPACE calls it too. It declares, offline and without a
path into cirque's tree in the caller's WORKSPACE:
  - @rules_cc: cirque's shim forwarding to Bazel's native C++ rules (Debian's
    bazel-rules-cc needs a newer Bazel than Debian's 4.2.3);
  - @rules_java: Debian's (package bazel-rules-java), which @bazel_tools loads
    even for C++;
  - @remote_coverage_tools: a stub, since the real one is downloaded (so
    `bazel coverage` is unsupported; `bazel test` works);
  - @system_libs: the Debian libraries cirque links (tools/setup installs them).
A repository the caller already declared under one of these names is left
as it is, so a workspace with its own @rules_cc keeps it.
"""

load("//third_party:directory_repository.bzl", "directory_repository")

def _declare(name, rule, **kwargs):
    if not native.existing_rule(name):
        rule(name = name, **kwargs)

def cirque_dependencies():
    """Declares the repositories cirque needs (see the file's comment)."""
    _declare(
        "rules_cc",
        directory_repository,
        anchor = Label("//third_party:BUILD.bazel"),
        path = "rules_cc_shim",
    )
    _declare(
        "remote_coverage_tools",
        directory_repository,
        anchor = Label("//third_party:BUILD.bazel"),
        path = "remote_coverage_tools_stub",
    )
    _declare(
        "rules_java",
        directory_repository,
        path = "/usr/share/bazel/rules/java",
        fix = "install Debian's bazel-rules-java (apt-get install bazel-rules-java, or cirque's tools/setup)",
    )
    _declare(
        "system_libs",
        native.new_local_repository,
        path = "/usr/lib/x86_64-linux-gnu",
        build_file = str(Label("//third_party:system_libs.BUILD")),
    )
