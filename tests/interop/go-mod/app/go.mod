module example.com/app

go 1.19

require (
	example.com/dep v1.4.0
	example.com/lib v1.2.3 // indirect
)

replace example.com/lib v1.2.3 => ../lib
