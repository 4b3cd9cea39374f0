from raqib.cli import main

main()
