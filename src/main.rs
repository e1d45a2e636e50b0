fn main() -> std::process::ExitCode {
    tradeoff::cli::main()
}
