// Example Node.js function for the emulator (runtime nodejs*).
export const handler = async (event, context) => {
  console.log(`hello-node invoked (${context.awsRequestId})`);
  if (event && event.fail) throw new Error('requested failure');
  return { statusCode: 200, body: JSON.stringify({ message: 'hello from Node.js', input: event ?? null }) };
};
