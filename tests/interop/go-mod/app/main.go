// Command app is the ground-truth Go binary of vouch's Go cataloger test.
package main

import (
	"fmt"

	"example.com/dep"
	"example.com/lib"
)

func main() { fmt.Println(lib.Greeting(), dep.Name) }
