//! Records the solver crates' versions (from Cargo.lock) so each selection run can name them.
fn main() {
    println!("cargo:rerun-if-changed=Cargo.lock");
    let lock = std::fs::read_to_string("Cargo.lock").unwrap_or_default();
    for (krate, var) in [
        ("good_lp", "JIEBANG_GOOD_LP_VERSION"),
        ("microlp", "JIEBANG_MICROLP_VERSION"),
    ] {
        let version = lock
            .split("[[package]]")
            .find(|block| block.contains(&format!("name = \"{krate}\"\n")))
            .and_then(|block| block.lines().find_map(|l| l.strip_prefix("version = ")))
            .map(|v| v.trim_matches('"').to_owned())
            .unwrap_or_else(|| "unknown".into());
        println!("cargo:rustc-env={var}={version}");
    }
}
