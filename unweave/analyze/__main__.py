from unweave.analyze.cli import main

main()
