from unweave.cli.main import main

main()
