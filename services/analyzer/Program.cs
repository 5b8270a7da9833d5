// PLACEHOLDER: replaced by the backbone work.
Console.WriteLine("analyzer");
