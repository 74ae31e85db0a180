package mockaws

// dataRules are the AWS rules of the data tier's resource types (see Rule).
var dataRules = []Rule{}
